export { readImportFile, readRecords, formatFromPath, DEFAULT_MAX_LINE_BYTES, type ImportBatch, type ImportOptions } from './read-import-file.js';
export { parseMapSpec, IMPORT_FIELDS } from './mapping.js';
