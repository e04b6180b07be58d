// Runbooks are imported as strings (webpack `asset/source`); jest needs the same contract.
module.exports = {
  process(sourceText) {
    return { code: `module.exports = ${JSON.stringify(sourceText)};` };
  },
};
