/** The link contract over the in-process channel (no socket). */
import { describeLinkContract } from './link.contract.js';
import { InProcessFleetChannel } from './in-process-channel.js';

describeLinkContract('in-process channel', async (coordinator) => {
  const channel = new InProcessFleetChannel(coordinator.fleetHandlers);
  return {
    coordinator,
    link: (options) => channel.link(options),
    close: () => coordinator.stop(200),
  };
});
