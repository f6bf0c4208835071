// Mocha runs TypeScript through tsx.
module.exports = {
  'node-option': ['import=tsx'],
  spec: ['spec/**/*.spec.ts'],
  timeout: 20000,
  exit: true,
};
