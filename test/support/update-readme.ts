// Regenerates the rule table in README.md from the rule metadata (npm run docs:rules).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withRuleTable } from '../../src/engine/rules/rule-table';
import { REPO } from './engine';

const readme = path.join(REPO, 'README.md');
fs.writeFileSync(readme, withRuleTable(fs.readFileSync(readme, 'utf8')));
console.log('README.md rule table updated');
