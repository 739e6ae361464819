// ESLint flat config: type-aware TypeScript rules plus the layer import rules of docs/architecture.md.
import tseslint from 'typescript-eslint';

/** Layers in dependency order; a layer may import only from layers listed before it. */
const LAYERS = ['common', 'schema', 'security', 'privacy', 'tasks', 'coordinator', 'client', 'simulations', 'cli'];
/** Extra pairs that are forbidden although the order above would allow them. */
const FORBIDDEN_EXTRA = { client: ['coordinator'], coordinator: ['client'] };

function layerRule(layer) {
  const idx = LAYERS.indexOf(layer);
  const later = LAYERS.slice(idx + 1).filter((l) => !(layer === 'simulations' && l === 'cli'));
  const banned = [...new Set([...later, ...(FORBIDDEN_EXTRA[layer] ?? [])])].filter((l) => l !== layer);
  // cli may import everything; simulations may import coordinator and client.
  const finalBanned = layer === 'simulations' ? ['cli'] : layer === 'cli' ? [] : banned;
  const patterns = finalBanned.map((l) => ({
    group: [`../${l}/**`, `../../${l}/**`, `../../../${l}/**`, `../${l}`, `../../${l}`],
    message: `${layer}/ must not import ${l}/ (see docs/architecture.md, import rules)`,
  }));
  if (layer === 'privacy' || layer === 'common' || layer === 'schema') {
    patterns.push({ group: ['@grpc/*', '@tensorflow/*', '**/proto/**'], message: `${layer}/ is pure: no gRPC, no TensorFlow.js` });
  }
  if (!['simulations'].includes(layer)) {
    patterns.push({
      group: ['**/seeded-random.js', '**/seeded-random'],
      message: 'seededRandom is for tests and simulations only; production randomness is cryptoRandom()',
    });
  }
  const ignores = ['**/*.test.ts', '**/*.contract.ts', '**/testing/**'];
  if (layer === 'cli') return { files: ['cli/**/*.ts'], ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } };
  // Generated proto types stop at the transport folders: everything else uses schema/fleet.ts.
  const PROTO = { group: ['**/proto/generated/**'], message: 'generated proto types stay in transport/ folders; use the domain types in schema/fleet.ts' };
  return [
    { files: [`${layer}/**/*.ts`], ignores: [...ignores, `${layer}/transport/**`], rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, PROTO] }] } },
    { files: [`${layer}/transport/**/*.ts`], ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } },
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'runs/**', 'proto/generated/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use a RandomSource (cryptoRandom in production)' }],
    },
  },
  ...LAYERS.flatMap(layerRule),
  {
    // Only desensitisation may mint a DesensitizedRecord: a cast elsewhere would let identifiers reach the encoder.
    files: ['**/*.ts'],
    ignores: ['privacy/desensitize/**', 'schema/desensitized.ts', '**/*.test.ts', 'test/**', 'bench/**', '**/testing/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "TSAsExpression > TSTypeReference[typeName.name='DesensitizedRecord']", message: 'only privacy/desensitize creates DesensitizedRecords' }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'simulations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  { files: ['**/*.js', 'bin/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
