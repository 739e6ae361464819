/** Engineered features computed locally at a bank before desensitisation and encoding. */
export { engineerTransactionFeatures } from './account-history.js';
export { applyFeatureStep, featureConfigFor, featuredSchema } from './feature-step.js';
export { engineeredFields, FEATURE_PREFIX, timeOf, TRANSACTION_V1_FEATURES, withEngineeredFields, type TransactionFeatureConfig } from './transaction-features.js';
