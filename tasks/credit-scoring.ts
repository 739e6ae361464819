/** `credit-scoring`: probability of default on credit.v1 (or a custom credit schema) with logistic regression or an MLP. */
import { FedfinError } from '../common/errors.js';
import type { TaskDefinition } from './registry.js';

export const CREDIT_SCORING: TaskDefinition = {
  name: 'credit-scoring',
  description: 'probability of default from applicant and loan attributes (logistic regression or MLP); metrics ROC-AUC, KS, log-loss, Brier, accuracy',
  schemaKinds: ['credit', 'custom'],
  labelField(schema) {
    if (!schema.label) throw new FedfinError('schema-invalid', `credit-scoring needs a schema with a label field; ${schema.id} has none`);
    return schema.label;
  },
  modelSpec(job, numFeatures) {
    if (job.model.type === 'lstm') throw new FedfinError('config-invalid', 'credit-scoring: model type "lstm" reads sequences (market-forecast); use "logistic" or "mlp"');
    return {
      numFeatures,
      hiddenUnits: job.model.type === 'logistic' ? [] : [...job.model.hidden],
      activation: job.model.activation,
    };
  },
};
