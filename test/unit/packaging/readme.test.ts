import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { optionSpecs } from '@gpsim/simulator/config/options';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

  it('gives the two fresh-machine commands: start and test', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
  });

  it('documents every option with its flag and environment twin', () => {
    for (const spec of optionSpecs) {
      const flag = spec.flag.split(' ')[0] as string;
      expect(readme).toContain(`\`${flag}\``);
      expect(readme).toContain(`\`${spec.env}\``);
    }
  });
});

describe('.ci/run', () => {
  it('runs the README test command', () => {
    const script = readFileSync(join(__dirname, '..', '..', '..', '.ci', 'run'), 'utf8');
    expect(script).toMatch(/^npm install && npm test$/m);
  });
});
