/** A communes file for tests that need a second commune (isolation between communes). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECOND_COMMUNE = `
  - id: minh-long
    name: Xã Minh Long
    province: Quảng Ngãi
    villages:
      - { name: Thôn Hà Liệt, aliases: [ha liet] }
`;

/** Writes the sample communes plus Xã Minh Long into `dir`; returns the file's path for CONFIG_FILE. */
export function twoCommunesConfig(dir: string): string {
  const file = join(dir, 'communes.yaml');
  writeFileSync(file, readFileSync('config/communes.example.yaml', 'utf8').trimEnd() + '\n' + SECOND_COMMUNE);
  return file;
}
