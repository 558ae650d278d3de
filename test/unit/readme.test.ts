import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../src/engine/rules';
import { withRuleTable } from '../../src/engine/rules/rule-table';
import { REPO } from '../support/engine';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));

describe('README', () => {
  it('has the rule table generated from the current rule metadata (run `npm run docs:rules` if this fails)', () => {
    assert.equal(README, withRuleTable(README));
  });

  it('starts with the two commands a new user runs after cloning', () => {
    const firstLines = README.split('\n').slice(0, 20).join('\n');
    assert.match(firstLines, /npm run demo/);
    assert.match(firstLines, /npm test/);
  });

  it('documents every setting and every command the extension contributes', () => {
    for (const setting of Object.keys(PACKAGE.contributes.configuration.properties)) assert.ok(README.includes(`\`${setting}\``), `README misses ${setting}`);
    for (const command of PACKAGE.contributes.commands) assert.ok(README.includes(`DL Doctor: ${command.title}`), `README misses ${command.title}`);
  });
});

describe('rule metadata', () => {
  for (const rule of ALL_RULES) {
    it(`${rule.code} lives in a file named after its code and explains why and how to fix`, () => {
      assert.ok(fs.existsSync(path.join(REPO, 'src/engine/rules', `${rule.code}.ts`)));
      assert.match(rule.code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.match(rule.explanation, /## How to fix/);
      assert.ok(!rule.title.endsWith('.'), 'titles have no trailing period');
    });
  }
});
