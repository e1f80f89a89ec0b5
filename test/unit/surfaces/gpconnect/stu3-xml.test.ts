import { SimError } from '@gpsim/simulator/domain/errors';
import { toStu3Xml } from '@gpsim/simulator/surfaces/gpconnect/stu3-xml';
import { child, parseXml } from '@gpsim/simulator/surfaces/shared/xml';

const body = (xml: string) => xml.replace('<?xml version="1.0" encoding="UTF-8"?>', '');

/** FHIR STU3 XML representation (hl7.org/fhir/STU3/xml.html); GP Connect SHOULD serve it (domain.md §1.2). */
describe('STU3 JSON→XML serializer', () => {
  it('writes the resource type as the root in the FHIR namespace, primitives as value attributes, arrays as repeats', () => {
    const xml = toStu3Xml({
      resourceType: 'Patient',
      id: 'p1',
      name: [{ family: 'Smith', given: ['Ann', 'Marie'] }],
      active: true,
      multipleBirthInteger: 2,
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(body(xml)).toBe(
      '<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><name><family value="Smith"/><given value="Ann"/><given value="Marie"/></name><active value="true"/><multipleBirthInteger value="2"/></Patient>',
    );
  });

  it('puts Resource and Element header elements first (id, meta, …, extension, modifierExtension) and url as an attribute', () => {
    const xml = toStu3Xml({
      resourceType: 'Patient',
      name: [{ family: 'X', extension: [{ valueString: 'v', url: 'http://e' }] }],
      extension: [{ url: 'http://a', valueCode: 'A' }],
      meta: { profile: ['http://p'] },
      id: 'p1',
    });
    expect(body(xml)).toBe(
      '<Patient xmlns="http://hl7.org/fhir"><id value="p1"/><meta><profile value="http://p"/></meta><extension url="http://a"><valueCode value="A"/></extension><name><extension url="http://e"><valueString value="v"/></extension><family value="X"/></name></Patient>',
    );
  });

  it('wraps nested resources (Bundle.entry.resource) and escapes markup in values', () => {
    const xml = toStu3Xml({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'urn:a&b', resource: { resourceType: 'List', title: '<b>"Problems"</b>' } }],
    });
    const root = parseXml(xml);
    const entry = child(root, 'entry');
    expect(child(entry, 'fullUrl')?.attributes['value']).toBe('urn:a&b');
    const list = child(child(entry, 'resource'), 'List');
    expect(list?.attributes['xmlns']).toBe('http://hl7.org/fhir');
    expect(child(list, 'title')?.attributes['value']).toBe('<b>"Problems"</b>');
  });

  it('writes _element primitive extensions on the primitive and the narrative div as XHTML', () => {
    const xml = toStu3Xml({
      resourceType: 'Observation',
      text: { status: 'generated', div: '<div>Hi</div>' },
      status: 'final',
      _status: { id: 's1', extension: [{ url: 'http://x', valueBoolean: false }] },
      _comment: { extension: [{ url: 'http://absent', valueCode: 'unknown' }] },
    });
    expect(body(xml)).toContain('<div xmlns="http://www.w3.org/1999/xhtml">Hi</div>');
    expect(body(xml)).toContain(
      '<status id="s1" value="final"><extension url="http://x"><valueBoolean value="false"/></extension></status>',
    );
    expect(body(xml)).toContain(
      '<comment><extension url="http://absent"><valueCode value="unknown"/></extension></comment>',
    );
  });

  it('drops control characters XML 1.0 cannot carry, keeping tab and newline', () => {
    expect(body(toStu3Xml({ resourceType: 'Basic', id: 'a\u0001b\tc\nd' }))).toBe(
      '<Basic xmlns="http://hl7.org/fhir"><id value="ab\tc\nd"/></Basic>',
    );
  });

  it.each([
    ['a body without resourceType', { id: 'x' }],
    ['null inside an array', { resourceType: 'Patient', name: [null] }],
    ['a nested array', { resourceType: 'Patient', name: [[{ family: 'X' }]] }],
    ['a div that is not XHTML', { resourceType: 'Patient', text: { status: 'generated', div: 'plain' } }],
  ])('refuses %s rather than writing invalid FHIR', (_name, resource) => {
    expect(() => toStu3Xml(resource)).toThrow(SimError);
  });
});
