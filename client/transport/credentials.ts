/** The ONE place the daemon's channel credentials are built: insecure for now; mTLS arrives with a later issue. */
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';

/** What kind of channel to open. Only `insecure` exists yet. */
export interface LinkSecurity {
  readonly mode: 'insecure';
}

/**
 * Channel credentials for the Fleet client. Insecure: use only on a trusted network until mTLS lands
 * (docs/client.md says so). Adding mTLS means adding a mode here and nowhere else.
 */
export function channelCredentials(security: LinkSecurity = { mode: 'insecure' }): ChannelCredentials {
  switch (security.mode) {
    case 'insecure':
      return credentials.createInsecure();
  }
}
