import { SimError } from '@gpsim/simulator/domain/errors';
import { child, childText, el, parseXml } from '@gpsim/simulator/surfaces/shared/xml';

function refusal(input: string, limits?: Parameters<typeof parseXml>[1]): SimError {
  try {
    parseXml(input, limits);
  } catch (error) {
    if (error instanceof SimError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('bounded XML reader', () => {
  it('reads elements, attributes, text, CDATA, comments and the five predefined entities', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="utf-8"?><!-- note --><A x="1 &amp; 2"><B>fish &lt;&gt; chips&#33;</B><C><![CDATA[<raw>]]></C><D/></A>',
    );
    expect(root.name).toBe('A');
    expect(root.attributes['x']).toBe('1 & 2');
    expect(childText(root, 'B')).toBe('fish <> chips!');
    expect(child(root, 'C')?.text).toBe('<raw>');
    expect(child(root, 'D')?.children).toEqual([]);
  });

  it.each([
    ['a DOCTYPE with an external entity (XXE)', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['an undeclared entity', '<a>&custom;</a>'],
    ['a processing instruction', '<a><?php echo 1 ?></a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', 'hello<a/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['an empty document', '   '],
  ])('refuses %s as malformed', (_name, input) => {
    const error = refusal(input);
    expect(error.code).toBe('invalid-request');
    expect(error.message).toMatch(/^Malformed XML/);
  });

  it('refuses documents over the size limit before reading them', () => {
    expect(refusal('<a/>', { maxBytes: 3, maxDepth: 10, maxElements: 10 }).code).toBe('payload-too-large');
  });

  it('refuses nesting deeper than the depth limit and more elements than the count limit', () => {
    const deep = `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`;
    expect(refusal(deep).message).toContain('deeper');
    expect(refusal(`<r>${'<e/>'.repeat(11)}</r>`, { maxBytes: 1000, maxDepth: 5, maxElements: 10 }).message).toContain(
      'elements',
    );
  });

  it('writes escaped XML that it reads back unchanged', () => {
    const text = `<tag> & "quotes" 'apostrophes'`;
    const written = el('Root', { Attr: text, Dropped: undefined }, el('Child', null, text)).xml;
    expect(written).not.toContain('Dropped');
    const read = parseXml(written);
    expect(read.attributes['Attr']).toBe(text);
    expect(childText(read, 'Child')).toBe(text);
  });
});
