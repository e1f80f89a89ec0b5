import { SimError } from '@gpsim/simulator/domain/errors';
import { toStu3Xml } from '@gpsim/simulator/surfaces/gpconnect/stu3-xml';
import { readStu3Xml } from '@gpsim/simulator/surfaces/gpconnect/stu3-xml-reader';

const read = (xml: string) => readStu3Xml(Buffer.from(xml));

/** FHIR STU3 XML request bodies (hl7.org/fhir/STU3/xml.html) read into their JSON form (domain.md §1.2). */
describe('STU3 XML request reader', () => {
  it('reads a getstructuredrecord Parameters back exactly as written (repeats, booleans, numbers)', () => {
    const parameters = {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'patientNHSNumber',
          valueIdentifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9690937286' },
        },
        { name: 'includeAllergies', part: [{ name: 'includeResolvedAllergies', valueBoolean: false }] },
        { name: 'includeConsultations', part: [{ name: 'consultationsMostRecent', valueInteger: 3 }] },
      ],
    };
    expect(read(toStu3Xml(parameters))).toEqual(parameters);
  });

  it('reads an Appointment with contained Organization, extensions, slots and participants', () => {
    const appointment = {
      resourceType: 'Appointment',
      contained: [{ resourceType: 'Organization', id: '1', name: 'Test', identifier: [{ value: 'A1' }] }],
      extension: [{ url: 'https://x/BookingOrganisation', valueReference: { reference: '#1' } }],
      status: 'booked',
      description: 'Check-up & review',
      slot: [{ reference: 'Slot/1' }, { reference: 'Slot/2' }],
      participant: [{ actor: { reference: 'Patient/9' }, status: 'accepted', type: [{ text: 'patient' }] }],
      minutesDuration: 20,
    };
    expect(read(toStu3Xml(appointment))).toEqual(appointment);
  });

  it('reads a registerpatient Parameters holding a Patient with repeating names', () => {
    const body = {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'registerPatient',
          resource: { resourceType: 'Patient', name: [{ use: 'official', family: 'Lobb', given: ['Rosa'] }] },
        },
      ],
    };
    expect(read(toStu3Xml(body))).toEqual(body);
  });

  it.each([
    ['a root outside the FHIR namespace', '<Parameters xmlns="urn:other"/>'],
    ['a non-resource root', '<parameter xmlns="http://hl7.org/fhir"/>'],
    [
      'a boolean that is not true/false',
      '<Parameters xmlns="http://hl7.org/fhir"><parameter><valueBoolean value="yes"/></parameter></Parameters>',
    ],
    [
      'a single element repeated',
      '<Appointment xmlns="http://hl7.org/fhir"><status value="a"/><status value="b"/></Appointment>',
    ],
    ['a value carried as text', '<Appointment xmlns="http://hl7.org/fhir"><status>booked</status></Appointment>'],
    ['a DOCTYPE (no XXE)', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><Parameters>&x;</Parameters>'],
  ])('refuses %s', (_name, xml) => {
    expect(() => read(xml)).toThrow(SimError);
  });
});
