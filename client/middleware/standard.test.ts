import { describe, expect, it } from 'vitest';
import { FedfinError, FileError } from '../../common/errors.js';
import { failureReason } from './standard.js';

describe('failureReason', () => {
  it('keeps the text of errors about the job, when the coordinator sent something wrong', () => {
    expect(failureReason(new FedfinError('encoding-mismatch', 'the model expects 97 features, the bank encodes 95'))).toBe('encoding-mismatch: the model expects 97 features, the bank encodes 95');
  });

  it('sends only the code, when the message could name the bank\'s files or data', () => {
    const reason = failureReason(new FileError('/srv/bank/extracts/customers-2026.csv', 'cannot read'));
    expect(reason).toBe("file-unreadable (details in the bank's log)");
    expect(reason).not.toContain('/srv/bank');
    expect(failureReason(new FedfinError('data-invalid', 'row 3, field email: expected …, got "jane@example.com"'))).not.toContain('jane');
  });

  it('hides bugs behind a generic text', () => {
    expect(failureReason(new Error('secret stack detail'))).toBe('internal error in the bank daemon (see its log)');
  });
});
