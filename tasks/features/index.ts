/** Engineered features computed locally at a bank before desensitisation and encoding. */
export { engineerTransactionFeatures } from './account-history.js';
export { applyFeatureStep, DEFAULT_ROLE_FIELDS, featureConfigFor, featuredSchema, REQUIRED_ROLES } from './feature-step.js';
export { featureStepRecord, modelFeatureConfig, type FeatureStepRecord } from './model-feature-step.js';
export { engineeredFields, FEATURE_PREFIX, FEATURE_STEP, timeOf, TRANSACTION_V1_FEATURES, withEngineeredFields, type TransactionFeatureConfig } from './transaction-features.js';
