export { readImportFile, readRecords, formatFromPath, type ImportBatch, type ImportOptions } from './read-import-file.js';
export { parseMapSpec, IMPORT_FIELDS } from './mapping.js';
