// tests/editors/check_textmate.js TOKENS FILE...: tokenizes each FILE with
// grammar/ecsc.tmLanguage.json through vscode-textmate and vscode-oniguruma
// (VS Code's own tokenizer, installed from npm by tests/editors.sh), and
// checks that every token tokens.py found (TOKENS: its JSON lines) has the
// scope of its kind at its first and last character, and that no line ends
// inside a region (a string left open would colour what follows). Prints one
// line per problem and "textmate: N tokens checked, N problems".
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const scopeOf = {
  comment: 'comment.line.',
  string: 'string.quoted.double.ecsc',
  escape: 'constant.character.escape.ecsc',
  badescape: 'invalid.illegal.escape.ecsc',
  int: 'constant.numeric.integer.ecsc',
  percent: 'constant.numeric.percent.ecsc',
  duration: 'constant.numeric.duration.ecsc',
  size: 'constant.numeric.size.ecsc',
  cidr: 'constant.other.cidr.ecsc',
  boolean: 'constant.language.boolean.ecsc',
  import: 'keyword.control.import.ecsc',
  block: 'entity.name.type.block.ecsc',
  attribute: 'variable.other.property.ecsc',
  reference: 'variable.other.reference.ecsc',
  operator: 'keyword.operator.assignment.ecsc',
  delimiter: 'punctuation.',
};

async function main() {
  const [tokensFile, ...files] = process.argv.slice(2);
  const root = path.join(__dirname, '..', '..');
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.ecsc') return null;
      const file = path.join(root, 'grammar', 'ecsc.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.ecsc');
  const expected = fs.readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let problems = 0, checked = 0;
  const problem = (msg) => { problems++; console.log(msg); };
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split('\n');
    let stack = vsctm.INITIAL;
    const scopes = [];  // per line: [{start, end, scopes}]
    lines.forEach((text, i) => {
      const r = grammar.tokenizeLine(text.replace(/\r$/, ''), stack);
      scopes.push(r.tokens);
      stack = r.ruleStack;
      if (stack.depth !== 1) problem(`${file}:${i + 1}: the line ends inside a region (depth ${stack.depth})`);
    });
    const at = (line, index) => {
      for (const t of scopes[line - 1]) if (t.startIndex <= index && index < t.endIndex) return t.scopes;
      return [];
    };
    for (const tok of expected.filter((t) => t.file === file)) {
      const want = scopeOf[tok.kind];
      for (const [index, col] of [[tok.utf16, tok.col], [tok.last16, tok.last]]) {
        checked++;
        const got = at(tok.line, index);
        if (!got.some((s) => s.startsWith(want)))
          problem(`${file}:${tok.line}:${col}: ${tok.kind} ${JSON.stringify(tok.text)}: want ${want}, got ${got.join(' ')}`);
      }
    }
  }
  console.log(`textmate: ${checked} tokens checked, ${problems} problems`);
  process.exit(problems ? 1 : 0);
}

main().catch((e) => { console.log(`textmate: ${e.stack || e}`); process.exit(2); });
