/** A communes file for tests that need a second commune (isolation between communes). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Child hotlines to write: the sample commune's (it has 111) and Xã Minh Long's (none unless given). */
export interface ChildLines {
  sample?: string;
  minhLong?: string;
}

/** Writes the sample communes plus Xã Minh Long into `dir`; returns the file's path for CONFIG_FILE. */
export function twoCommunesConfig(dir: string, lines: ChildLines = {}): string {
  const file = join(dir, 'communes.yaml');
  let example = readFileSync('config/communes.example.yaml', 'utf8');
  if (lines.sample) example = example.replace('child: "111"', `child: "${lines.sample}"`);
  const second = [
    '  - id: minh-long',
    '    name: Xã Minh Long',
    '    province: Quảng Ngãi',
    '    villages:',
    '      - { name: Thôn Hà Liệt, aliases: [ha liet] }',
    ...(lines.minhLong ? ['    hotlines:', `      child: "${lines.minhLong}"`] : []),
  ];
  writeFileSync(file, `${example.trimEnd()}\n${second.join('\n')}\n`);
  return file;
}
