import type { importsContract } from '../contract/imports';
import { readTable } from '../import/readTable.node';
import { importTemplate } from '../import/template.node';
import type { Handlers } from './types';

/** The calls that read or make files (async: exceljs); they touch no database. */
export const importFileHandlers: Pick<Handlers<typeof importsContract>, 'imports.read' | 'imports.template'> = {
  'imports.read': ({ fileName, base64, sheet }) => readTable(fileName, base64, sheet),
  'imports.template': ({ kind }) => importTemplate(kind),
};
