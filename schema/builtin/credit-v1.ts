/** `credit.v1`: one loan application or credit account, with the identifiers a bank extract carries. */
import { makeSchema, type DatasetSchema } from '../field.js';

const id = (name: string, description: string, maxLength = 200) =>
  ({ name, type: 'string', description, required: false, maxLength, privacy: 'direct-identifier' }) as const;

/**
 * Field order is the canonical order (CSV column order of `data synth` output and of encodings).
 * Category vocabularies are closed: a bank maps its own codes onto them with a code table.
 */
export const CREDIT_V1: DatasetSchema = makeSchema({
  name: 'credit',
  version: 1,
  kind: 'credit',
  description: 'A loan application or credit account: applicant and loan attributes, the default label, and direct identifiers.',
  label: 'default',
  fields: [
    id('application_id', 'Bank-internal application or account reference', 64),
    id('full_name', 'Applicant full name'),
    id('national_id', 'National identification number (SSN, NI number, Steuer-ID …)', 64),
    id('email', 'Applicant email address'),
    id('phone', 'Applicant phone number', 64),
    id('address', 'Street address'),
    { name: 'date_of_birth', type: 'date', description: 'Applicant date of birth (a direct identifier in combination with name/postcode; age is the model input)', required: false, privacy: 'direct-identifier' },
    id('iban', 'Account number or IBAN', 64),
    { name: 'postcode', type: 'string', description: 'Postal code of residence', required: false, maxLength: 16, privacy: 'quasi-identifier' },
    { name: 'region', type: 'string', description: 'Region or state of residence', required: false, maxLength: 64, privacy: 'quasi-identifier' },
    { name: 'age', type: 'integer', unit: 'years', description: 'Applicant age at application', required: true, min: 18, max: 100, privacy: 'quasi-identifier' },
    { name: 'sex', type: 'category', description: 'Applicant sex (protected attribute: not a model input by default)', required: false, categories: ['female', 'male', 'other'], privacy: 'sensitive' },
    { name: 'marital_status', type: 'category', description: 'Marital status', required: false, categories: ['single', 'married', 'divorced', 'widowed'], privacy: 'quasi-identifier' },
    { name: 'annual_income', type: 'number', unit: 'EUR/year', description: 'Gross annual income', required: false, min: 0, max: 100_000_000, privacy: 'feature' },
    { name: 'employment_status', type: 'category', description: 'Employment status', required: false, categories: ['employed', 'self_employed', 'unemployed', 'retired', 'student'], privacy: 'feature' },
    { name: 'employment_years', type: 'number', unit: 'years', description: 'Years with the current employer', required: false, min: 0, max: 70, privacy: 'feature' },
    { name: 'debt_to_income', type: 'number', unit: 'ratio', description: 'Monthly debt payments / monthly gross income', required: false, min: 0, max: 10, privacy: 'feature' },
    { name: 'installment_rate', type: 'number', unit: 'ratio', description: 'This loan\'s instalment as a share of disposable income', required: false, min: 0, max: 1, privacy: 'feature' },
    { name: 'credit_history_years', type: 'number', unit: 'years', description: 'Length of credit history', required: false, min: 0, max: 80, privacy: 'feature' },
    { name: 'credit_history', type: 'category', description: 'Repayment history summary', required: false, categories: ['no_credits', 'all_paid', 'paid_duly', 'past_delay', 'critical'], privacy: 'feature' },
    { name: 'past_delinquencies', type: 'integer', unit: 'count', description: 'Delinquencies (30+ days past due) in the last 7 years', required: false, min: 0, max: 100, privacy: 'feature' },
    { name: 'credit_utilization', type: 'number', unit: 'ratio', description: 'Revolving balance / revolving limit', required: false, min: 0, max: 5, privacy: 'feature' },
    { name: 'existing_credits', type: 'integer', unit: 'count', description: 'Number of existing credits', required: false, min: 0, max: 50, privacy: 'feature' },
    { name: 'checking_status', type: 'category', description: 'Checking account balance band (lt_0: overdrawn; none: no checking account)', required: false, categories: ['lt_0', '0_200', 'ge_200', 'none'], privacy: 'feature' },
    { name: 'savings_band', type: 'category', description: 'Savings balance band in EUR', required: false, categories: ['lt_100', '100_500', '500_1000', 'ge_1000', 'none'], privacy: 'feature' },
    { name: 'loan_amount', type: 'number', unit: 'EUR', description: 'Requested or granted principal', required: true, min: 0, max: 100_000_000, privacy: 'feature' },
    { name: 'loan_term_months', type: 'integer', unit: 'months', description: 'Loan term', required: true, min: 1, max: 480, privacy: 'feature' },
    { name: 'loan_purpose', type: 'category', description: 'Purpose of the loan', required: false, categories: ['car_new', 'car_used', 'furniture', 'electronics', 'appliances', 'repairs', 'education', 'retraining', 'business', 'home', 'debt_consolidation', 'other'], privacy: 'feature' },
    { name: 'housing', type: 'category', description: 'Housing situation', required: false, categories: ['rent', 'own', 'mortgage', 'free'], privacy: 'feature' },
    { name: 'property', type: 'category', description: 'Most valuable property held', required: false, categories: ['real_estate', 'savings_insurance', 'car_other', 'none'], privacy: 'feature' },
    { name: 'other_debtors', type: 'category', description: 'Other debtors or guarantors', required: false, categories: ['none', 'co_applicant', 'guarantor'], privacy: 'feature' },
    { name: 'other_installment_plans', type: 'category', description: 'Other instalment plans', required: false, categories: ['bank', 'stores', 'none'], privacy: 'feature' },
    { name: 'residence_years', type: 'number', unit: 'years', description: 'Years at the current residence', required: false, min: 0, max: 100, privacy: 'feature' },
    { name: 'job_type', type: 'category', description: 'Job skill level', required: false, categories: ['unemployed_unskilled', 'unskilled', 'skilled', 'management'], privacy: 'feature' },
    { name: 'dependents', type: 'integer', unit: 'count', description: 'People the applicant supports', required: false, min: 0, max: 20, privacy: 'feature' },
    { name: 'has_telephone', type: 'boolean', description: 'Has a registered telephone', required: false, privacy: 'feature' },
    { name: 'foreign_worker', type: 'boolean', description: 'Foreign worker (protected attribute: not a model input by default)', required: false, privacy: 'sensitive' },
    { name: 'application_date', type: 'date', description: 'Date of the application', required: false, privacy: 'quasi-identifier' },
    { name: 'default', type: 'integer', description: 'Label: 1 if the credit defaulted (or was rated bad), else 0', required: true, min: 0, max: 1, privacy: 'label' },
  ],
});
