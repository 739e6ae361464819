/** The link contract over real gRPC on a loopback port. */
import { describeLinkContract } from './link.contract.js';
import { GrpcLink } from '../../client/transport/grpc-link.js';

describeLinkContract('gRPC on localhost:0', async (coordinator) => {
  const port = await coordinator.start();
  return {
    coordinator,
    link: (options) => new GrpcLink(`127.0.0.1:${port}`, options),
    close: () => coordinator.stop(200),
  };
});
