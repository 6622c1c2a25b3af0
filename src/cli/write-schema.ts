import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { schemaSdl } from '../graphql/sdl';

const out = path.join(__dirname, '..', '..', '..', 'schema', 'schema.graphql');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, schemaSdl());
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
