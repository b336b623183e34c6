/**
 * Request bodies are read as Go's json.NewDecoder(body).Decode reads them (encoding/json's scanner
 * and Decoder.readValue): one value, Go's syntax error texts, numbers and members kept as written.
 */
import assert from 'node:assert/strict';
import { JsonNumber, JsonObject, type JsonValue, parseFirstValue } from './go-json-parse.ts';

const parse = (text: string | Buffer): JsonValue => parseFirstValue(Buffer.from(text));

function refused(text: string | Buffer, message: string): void {
  assert.throws(() => parse(text), { message }, JSON.stringify(text.toString()));
}

describe('reading a body like json.Decoder.Decode', () => {
  it('reads the first value only: whatever follows it, even garbage, is never looked at', () => {
    assert.deepEqual(parse('{"a":1}garbage'), new JsonObject([['a', new JsonNumber('1')]]));
    assert.deepEqual(parse('[1] [2'), [new JsonNumber('1')]);
    assert.equal(parse(' "x"y'), 'x');
    assert.equal(parse('truex'), true);
    assert.deepEqual(parse('123abc'), new JsonNumber('123'));
    assert.deepEqual(parse('01'), new JsonNumber('0'));
    assert.equal(parse('null}'), null);
  });

  it('answers "EOF" for an empty body and "unexpected EOF" for one that stops inside a value', () => {
    for (const empty of ['', ' \n\t\r ']) refused(empty, 'EOF');
    for (const cut of ['{', '{"a"', '{"a":', '{"a":1', '[1,', '"abc', '-', '1.', '1e', 'tru', '"\\u12']) {
      refused(cut, 'unexpected EOF');
    }
  });

  it("names the offending character and where it was, in Go's words", () => {
    const cases: [string, string][] = [
      ['not json', "invalid character 'o' in literal null (expecting 'u')"],
      ['xyz', "invalid character 'x' looking for beginning of value"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
      ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
      ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
      ['[1 2]', "invalid character '2' after array element"],
      ['[1,]', "invalid character ']' looking for beginning of value"],
      ['{"a":01}', "invalid character '1' after object key:value pair"],
      ['-x', "invalid character 'x' in numeric literal"],
      ['1.x', "invalid character 'x' after decimal point in numeric literal"],
      ['1e+x', "invalid character 'x' in exponent of numeric literal"],
      ['"a\\qb"', "invalid character 'q' in string escape code"],
      ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
      ['"a\nb"', "invalid character '\\n' in string literal"],
      ['"\u0001"', "invalid character '\\x01' in string literal"],
      ['{"a":fals}', "invalid character '}' in literal false (expecting 'e')"],
      ["'a'", "invalid character '\\'' looking for beginning of value"],
    ];
    for (const [text, message] of cases) refused(text, message);
    // A byte of a multi-byte character is shown as the rune of that byte's value, as Go does.
    refused(Buffer.from([0xc3, 0xa9]), "invalid character 'Ã' looking for beginning of value");
    refused(Buffer.from([0xc2, 0xa0]), "invalid character 'Â' looking for beginning of value");
  });

  it('keeps number literals as written, so int64s survive beyond 2^53', () => {
    assert.deepEqual(parse('[9007199254740993, -5, 1.50, 1E+3, -0]'), [
      ...[new JsonNumber('9007199254740993'), new JsonNumber('-5'), new JsonNumber('1.50')],
      ...[new JsonNumber('1E+3'), new JsonNumber('-0')],
    ]);
  });

  it('keeps every member in order, a repeated key included (Go decodes each in turn)', () => {
    assert.deepEqual(
      parse('{"a":1,"A":2,"a":{}}'),
      new JsonObject([
        ['a', new JsonNumber('1')],
        ['A', new JsonNumber('2')],
        ['a', new JsonObject([])],
      ]),
    );
  });

  it('decodes escapes; a lone surrogate becomes U+FFFD, as in Go', () => {
    assert.equal(parse('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"'), '"\\/\b\f\n\r\té');
    assert.equal(parse('"\\ud83d\\ude00"'), '😀');
    assert.equal(parse('"\\ud83dx"'), '\ufffdx');
    assert.equal(parse('"\\ude00\\ud83d\\u0041"'), '\ufffd\ufffdA');
    assert.equal(parse(Buffer.from([0x22, 0xff, 0x22])), '\ufffd');
  });

  it('nests up to 10000 levels, like encoding/json, and refuses one more', () => {
    assert.ok(Array.isArray(parse(`${'['.repeat(10000)}${']'.repeat(10000)}`)));
    refused(`${'['.repeat(10001)}${']'.repeat(10001)}`, "invalid character '[' exceeded max depth");
    refused(`${'{"a":'.repeat(10000)}{}`, "invalid character '{' exceeded max depth");
  });
});
