import type { roadmapImportsContract } from '../contract/roadmapImports';
import { commitMuniRoadmap } from '../import/muniCommit';
import { MUNI_HEADER_HINT, readMuniRoadmap } from '../import/muniRoadmap';
import { readRoadmaps, ROADMAP_HEADER_HINT } from '../import/roadmap';
import { commitRoadmap } from '../import/roadmapCommit';
import { noHeader, roadmapFileTables } from '../import/roadmapFile.node';
import { signedInPerson } from './author';
import type { Handlers } from './types';

export const roadmapImportsHandlers: Handlers<typeof roadmapImportsContract> = {
  'imports.roadmapPreview': async ({ fileName, base64 }) => {
    const tables = readRoadmaps(await roadmapFileTables(fileName, base64));
    if (tables.length === 0) throw noHeader(fileName, 'дорожной карты', ROADMAP_HEADER_HINT);
    return { fileName, tables };
  },

  'imports.roadmapCommit': (input, { store }) => commitRoadmap(store, input, signedInPerson(store)),

  'imports.muniPreview': async ({ fileName, base64 }) => {
    const preview = readMuniRoadmap(await roadmapFileTables(fileName, base64), fileName);
    if (!preview) throw noHeader(fileName, 'муниципальной дорожной карты', MUNI_HEADER_HINT);
    return preview;
  },

  'imports.muniCommit': (input, { store }) => commitMuniRoadmap(store, input),
};
