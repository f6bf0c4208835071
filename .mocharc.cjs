// Mocha runs TypeScript through tsx. `npm test` names the specs; `npx mocha <file>` runs one file.
module.exports = {
  'node-option': ['import=tsx/esm'],
  timeout: 20000,
  exit: true,
};
