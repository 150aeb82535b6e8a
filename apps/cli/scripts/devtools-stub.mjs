// Stands in for react-devtools-core in the bundle: Ink 6.8 imports it statically from devtools.js, which only
// runs in development; marking it external breaks the bundle at runtime
// (https://github.com/vadimdemedes/ink/issues/886).
export default { initialize() {}, connectToDevTools() {} };
export function initialize() {}
export function connectToDevTools() {}
