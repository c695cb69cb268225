import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDataset } from '../../lib/dataset/node';

export const DATA_DIR = path.resolve(__dirname, '../../data');
export const dataset = readDataset(DATA_DIR);
export const readData = (f: string) => readFileSync(path.join(DATA_DIR, f), 'utf8');
export const readJson = (f: string) => JSON.parse(readData(f));
