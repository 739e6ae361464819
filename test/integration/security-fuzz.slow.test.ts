/** Slow suite: 10,000 fuzzed messages against a live mTLS coordinator while the other banks' job completes (npm run test:slow). */
import { describeLiveFuzz } from '../helpers/live-fuzz-suite.js';

describeLiveFuzz(10_000);
