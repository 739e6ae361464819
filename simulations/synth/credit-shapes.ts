/** credit.v1 for `synthesize`: the five extract layouts (names, codes, units, styles), their mapping files, one bank's records and the run's truth.json section. */
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import type { ColumnMapping, FieldMapping, MappingSpec } from '../../schema/mapping-spec.js';
import {
  boolMapping,
  codeTable,
  dateParse,
  formatDate,
  formatNumber,
  invertCodes,
  mappingFor,
  numberMapping,
  type BankProfile,
  type BankShape,
  type CodeStyle,
  type ColumnSpec,
} from './bank-shapes.js';
import type { CreditRecord } from './synth-credit.js';
import { CREDIT_TRUE_MODEL } from './credit-model.js';
import type { GeneratedBank } from './index.js';
import { POPULATION_OFFSETS, synthCreditBank } from './synth-credit.js';
import { roundTo, type Sampler } from './sampling.js';
import { aucExact, expectedAuc } from './truth.js';

const FIELD_NAMES = CREDIT_V1.fields.map((f) => f.name);
/** Decimals each canonical number is written with (integers: 0). */
const DECIMALS: Record<string, number> = { annual_income: 2, employment_years: 1, debt_to_income: 3, installment_rate: 3, credit_history_years: 1, credit_utilization: 3, loan_amount: 2, residence_years: 1 };

/** A per-field override: a different header, a unit change, or no column at all (`skip`). */
interface Override {
  readonly header?: string;
  readonly format?: (r: CreditRecord) => string;
  readonly mapping?: Partial<ColumnMapping>;
  readonly skip?: boolean;
}

interface Layout {
  readonly names: (canonical: string) => string;
  readonly codeStyle: CodeStyle;
  readonly codeOverrides?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly overrides: (p: BankProfile) => Readonly<Record<string, Override>>;
  readonly derived?: Readonly<Record<string, FieldMapping>>;
  /** Extra bank-internal columns: header → value, listed under `ignore` in the mapping. */
  readonly extra?: Readonly<Record<string, (r: CreditRecord, i: number) => string>>;
}

const dict = (words: string): ((c: string) => string) => {
  const list = words.split(/\s+/).filter(Boolean);
  return (c) => list[FIELD_NAMES.indexOf(c)] ?? c;
};
const upperSnake = (c: string): string => c.toUpperCase();
const num = (p: BankProfile, x: number, d: number): string => formatNumber(x, d, p.decimal);

const LAYOUTS: readonly Layout[] = [
  {
    // Dutch bank with a legacy mainframe extract: UPPER_SNAKE names, cents, months, percent, single-letter codes.
    names: upperSnake,
    codeStyle: 'upper',
    codeOverrides: { housing: { own: 'O', rent: 'R', mortgage: 'M', free: 'F' }, sex: { female: 'F', male: 'M', other: 'X' } },
    overrides: (p) => ({
      application_id: { header: 'APPL_NO' },
      full_name: { header: 'CUST_NAME' },
      age: { header: 'AGE_YRS' },
      annual_income: { header: 'INC_MONTHLY_CENTS', format: (r) => String(r.monthlyIncomeCents), mapping: { convert: 'cents-to-units', multiply: 12 } },
      loan_amount: { header: 'LOAN_AMT_CENTS', format: (r) => String(Math.round(r.loan_amount * 100)), mapping: { convert: 'cents-to-units' } },
      employment_years: { header: 'EMP_MONTHS', format: (r) => String(Math.round(r.employment_years * 12)), mapping: { convert: 'months-to-years' } },
      debt_to_income: { header: 'DTI_PCT', format: (r) => num(p, r.debt_to_income * 100, 1), mapping: { convert: 'percent-to-ratio' } },
      default: { header: 'DEFAULT_FLAG', format: (r) => (r.default ? 'Y' : 'N'), mapping: { codes: { Y: 1, N: 0 } } },
    }),
    extra: { BRANCH: (_r, i) => `NL${String(100 + (i % 37))}` },
  },
  {
    // German bank: German names, ';' and decimal comma, German code words, utilisation in percent.
    names: dict(
      'antrag_nr name steuer_id email telefon strasse geburtsdatum iban plz bundesland alter geschlecht familienstand einkommen_jahr beschaeftigung beschaeftigt_seit_jahren schuldenquote ratenquote kredithistorie_jahre kredithistorie zahlungsverzuege auslastung_prozent anzahl_kredite girokonto sparguthaben kreditbetrag laufzeit_monate verwendungszweck wohnsituation vermoegen mitschuldner andere_ratenplaene wohnhaft_seit_jahren berufsgruppe unterhaltsberechtigte telefon_vorhanden auslaendischer_arbeitnehmer antragsdatum ausfall',
    ),
    codeStyle: 'numeric',
    codeOverrides: {
      housing: { rent: 'miete', own: 'eigentum', mortgage: 'hypothek', free: 'mietfrei' },
      marital_status: { single: 'ledig', married: 'verheiratet', divorced: 'geschieden', widowed: 'verwitwet' },
      employment_status: { employed: 'angestellt', self_employed: 'selbststaendig', unemployed: 'arbeitslos', retired: 'rentner', student: 'student' },
      sex: { female: 'w', male: 'm', other: 'd' },
    },
    overrides: (p) => ({
      credit_utilization: { format: (r) => num(p, r.credit_utilization * 100, 1), mapping: { convert: 'percent-to-ratio' } },
    }),
  },
  {
    // British bank: snake_case English, income in thousands, label as a boolean flag, an unmapped branch column.
    names: (c) => ({ annual_income: 'income_k', default: 'bad_flag', application_id: 'account_ref', national_id: 'ni_number', region: 'area' })[c] ?? c,
    codeStyle: 'canonical',
    codeOverrides: { housing: { rent: 'Rent', own: 'Own', mortgage: 'Mortgage', free: 'Rent-free' } },
    overrides: (p) => ({
      annual_income: { format: (r) => num(p, r.annual_income / 1000, 5), mapping: { convert: 'thousands-to-units' } },
      default: { format: (r) => (r.default ? p.bools[0] : p.bools[1]), mapping: { codes: { [p.bools[0]]: 1, [p.bools[1]]: 0 } } },
    }),
    extra: { branch_code: (_r, i) => `GB-${String(10 + (i % 53))}` },
  },
  {
    // French bank: French names, ';' and decimal comma, Statlog-style A-codes, label `classe` 1 = good / 2 = bad.
    names: dict(
      'ref_dossier nom_complet nir courriel telephone adresse date_naissance iban code_postal region age sexe situation_familiale revenu_annuel statut_emploi anciennete_emploi taux_endettement taux_effort anciennete_credit historique_credit incidents_paiement utilisation_credit credits_en_cours statut_compte epargne montant_pret duree_mois objet_pret logement patrimoine co_debiteurs autres_echeanciers anciennete_residence categorie_emploi personnes_a_charge telephone_fixe travailleur_etranger date_demande classe',
    ),
    codeStyle: 'a-codes',
    overrides: () => ({ default: { format: (r) => (r.default ? '2' : '1'), skip: false } }),
    derived: { default: { derive: 'classe == 2' } },
  },
  {
    // Spanish bank: camelCase Spanish names, ISO dates, no age column (derived), monthly income and debt (DTI derived).
    names: dict(
      'idSolicitud nombreCompleto dni correo telefono direccion fechaNacimiento iban codigoPostal comunidad edad sexo estadoCivil ingresoMensual situacionLaboral antiguedadLaboral ratioDeuda tasaCuota antiguedadCrediticia historialCredito impagosPrevios usoCreditoPct creditosVigentes estadoCuenta ahorro importePrestamo plazoMeses finalidad vivienda patrimonio otrosDeudores otrosPlanes antiguedadDomicilio tipoEmpleo personasACargo tieneTelefono trabajadorExtranjero fechaSolicitud impago',
    ),
    codeStyle: 'numeric',
    overrides: (p) => ({
      age: { skip: true },
      debt_to_income: { skip: true },
      annual_income: { format: (r) => num(p, r.monthlyIncomeCents / 100, 2), mapping: { convert: 'monthly-to-yearly' } },
      credit_utilization: { format: (r) => num(p, r.credit_utilization * 100, 1), mapping: { convert: 'percent-to-ratio' } },
      default: { format: (r) => (r.default ? 'S' : 'N'), mapping: { codes: { S: 1, N: 0 } } },
    }),
    derived: { age: { derive: 'floor(years_between(fechaNacimiento, fechaSolicitud))' }, debt_to_income: { derive: 'deudaMensual / ingresoMensual' } },
    extra: { deudaMensual: (r) => ((r.debt_to_income * r.monthlyIncomeCents) / 100).toFixed(2) },
  },
];

/**
 * The credit.v1 extract layout of one bank: every canonical field written in the bank's own names,
 * codes and units, plus derived fields and ignored bank-internal columns.
 */
export function creditShape(p: BankProfile): BankShape<CreditRecord> {
  const layout = LAYOUTS[p.archetype]!;
  const overrides = layout.overrides(p);
  const columns: ColumnSpec<CreditRecord>[] = [];
  CREDIT_V1.fields.forEach((field, fieldNumber) => {
    const o = overrides[field.name] ?? {};
    if (o.skip) return;
    const header = o.header ?? layout.names(field.name);
    const get = (r: CreditRecord): unknown => (r as unknown as Record<string, unknown>)[field.name];
    let format: (r: CreditRecord) => string;
    let mapping: ColumnMapping;
    if (field.type === 'category') {
      const table = codeTable(layout.codeStyle, fieldNumber + 1, field.categories!, layout.codeOverrides?.[field.name]);
      format = (r) => table.get(get(r) as string)!;
      mapping = { column: header, codes: invertCodes(table) };
    } else if (field.type === 'date') {
      format = (r) => formatDate(get(r) as string, p.dateStyle);
      mapping = p.dateStyle === 'YYYY-MM-DD' ? { column: header } : { column: header, parse: dateParse(p) };
    } else if (field.type === 'boolean') {
      format = (r) => (get(r) ? p.bools[0] : p.bools[1]);
      mapping = boolMapping(p, header);
    } else if (field.type === 'number' || field.type === 'integer') {
      const d = DECIMALS[field.name] ?? 0;
      format = (r) => num(p, get(r) as number, d);
      mapping = numberMapping(p, header);
    } else {
      format = (r) => String(get(r));
      mapping = { column: header };
    }
    const isDerived = layout.derived?.[field.name] !== undefined;
    columns.push({
      header,
      format: o.format ?? format,
      ...(isDerived ? {} : { field: field.name, mapping: { ...mapping, ...o.mapping } }),
    });
  });
  for (const [header, fn] of Object.entries(layout.extra ?? {})) columns.push({ header, format: fn });
  const derivedText = Object.values(layout.derived ?? {}).map((m) => ('derive' in m ? m.derive : '')).join(' ');
  const usedByDerive = (h: string): boolean => new RegExp(`\\b${h}\\b`).test(derivedText);
  return {
    columns,
    ...(layout.derived ? { derived: layout.derived } : {}),
    ignore: columns.filter((c) => c.field === undefined && !usedByDerive(c.header)).map((c) => c.header),
  };
}

/** The mapping file of one bank's credit extract. */
export function creditMapping(p: BankProfile): MappingSpec {
  return mappingFor('credit.v1', p, creditShape(p), `bank-${p.index} credit extract (${p.locale}; delimiter "${p.delimiter}", decimal "${p.decimal}", dates ${p.dateStyle})`);
}

/** Generates one credit bank. */
export function creditBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): GeneratedBank<CreditRecord> {
  const records = synthCreditBank(profile, rows, skew, rng);
  const p = records.map((r) => r.pTrue);
  const y = records.map((r) => r.default);
  const defaults = y.reduce((s, v) => s + v, 0);
  const auc = aucExact(p, y);
  return {
    profile,
    columns: creditShape(profile).columns,
    records,
    mapping: creditMapping(profile),
    truth: {
      rows,
      labelRate: roundTo(defaults / rows, 6),
      archetype: profile.archetype,
      meanTrueProbability: roundTo(p.reduce((s, v) => s + v, 0) / rows, 6),
      bayesAuc: auc === null ? null : roundTo(auc, 6),
    },
  };
}

/** The credit part of truth.json: the true model, population offsets and pooled Bayes AUCs. */
export function creditTruth(banks: readonly GeneratedBank<CreditRecord>[]): Record<string, unknown> {
  const p: number[] = [];
  const y: number[] = [];
  for (const b of banks) for (const r of b.records) {
    p.push(r.pTrue);
    y.push(r.default);
  }
  const auc = aucExact(p, y);
  const expected = expectedAuc(p);
  return {
    label: 'default',
    bayesAuc: auc === null ? null : roundTo(auc, 6),
    bayesAucNote: 'ROC-AUC of the true default probabilities against the drawn labels, pooled over all banks (exact, Mann–Whitney with mid-ranks)',
    expectedBayesAuc: expected === null ? null : roundTo(expected, 6),
    expectedBayesAucNote: 'population AUC of the true probabilities over the generated feature rows with labels integrated out (no label-draw noise)',
    trueModel: { form: 'logistic; see docs/synthetic-data.md', coefficients: CREDIT_TRUE_MODEL },
    populationOffsets: { note: 'per archetype 0-4, multiplied by skew', ...POPULATION_OFFSETS },
  };
}
