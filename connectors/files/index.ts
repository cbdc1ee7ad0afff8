/** CSV batch files: typed column specifications, reading with quarantine, and the watched drop folder. */
export { col, defineFileSpec, specToMarkdown, type ColumnSpec, type ColumnType, type FileSpec, type Parsed, type RowOf } from './column-spec';
export { readCsv, type CsvContent, type CsvReadResult, type CsvRow } from './csv-read';
export { DropFolder, RetryLaterError, route, type CsvBatch, type CsvSink, type DropFolderOptions, type DropOutcome, type IngestResult, type Route } from './drop-folder';
