import type { ClinicalRecord } from '../../domain/clinical-record';
import type { Practice } from '../../domain/estate';
import type { Patient } from '../../domain/patient';
import { isShareableEntry } from '../../domain/patient-access';
import type { Plain } from './emis-codec';

/**
 * EMIS Open–style medical record (approximate): registration details, then problem, medication,
 * allergy, consultation and value lists. Confidential entries are withheld from partners.
 */
const sexCode = { female: 'F', male: 'M', other: 'I', unknown: 'U' } as const;
const consultationType = {
  surgery: 'Surgery',
  telephone: 'Telephone',
  'home-visit': 'HomeVisit',
  video: 'Video',
} as const;

const optional = (name: string, value: string | undefined): Record<string, Plain> =>
  value === undefined || value === '' ? {} : { [name]: value };

export function matchedPatient(patient: Patient): Record<string, Plain> {
  return {
    PatientId: patient.id,
    NhsNumber: patient.nhsNumber,
    ...optional('Title', patient.name.prefix),
    Forenames: patient.name.given.join(' '),
    Surname: patient.name.family,
    DateOfBirth: patient.birthDate,
    Sex: sexCode[patient.sex],
    ...optional('Postcode', patient.address.postalCode),
  };
}

function list(name: string, items: Record<string, Plain>[]): Record<string, Plain> {
  return items.length === 0 ? {} : { [`${name}List`]: { [name]: items } };
}

export function medicalRecord(patient: Patient, practice: Practice, record: ClinicalRecord): Record<string, Plain> {
  const clinician = (index: number) => {
    const staff = practice.staff[index];
    return staff ? `${staff.prefix} ${staff.given} ${staff.family}` : '';
  };
  const usualGp = practice.staff[patient.usualGpIndex];
  return {
    Registration: {
      ...matchedPatient(patient),
      RegistrationDate: patient.registration.start.slice(0, 10),
      ...optional('UsualGp', usualGp ? `${usualGp.prefix} ${usualGp.given} ${usualGp.family}` : undefined),
    },
    ...list(
      'Problem',
      record.problems.filter(isShareableEntry).map((problem) => ({
        Id: problem.id,
        Code: problem.concept.code,
        Term: problem.concept.display,
        Date: problem.date,
        Status: problem.status === 'active' ? 'Active' : 'Past',
        Significance: problem.significance === 'major' ? 'Major' : 'Minor',
      })),
    ),
    ...list(
      'Medication',
      record.medications.filter(isShareableEntry).map((medication) => ({
        Id: medication.id,
        Code: medication.concept.code,
        Term: medication.concept.display,
        Date: medication.date,
        Dosage: medication.dosageText,
        Quantity: medication.quantityText,
        Type: medication.prescriptionType === 'repeat' ? 'Repeat' : 'Acute',
        Status: medication.status === 'active' ? 'Active' : medication.status === 'stopped' ? 'Cancelled' : 'Past',
      })),
    ),
    ...list(
      'Allergy',
      record.allergies.filter(isShareableEntry).map((allergy) => ({
        Id: allergy.id,
        Code: allergy.concept.code,
        Term: allergy.concept.display,
        Date: allergy.date,
        Status: allergy.clinicalStatus === 'active' ? 'Active' : 'Resolved',
      })),
    ),
    ...list(
      'Consultation',
      record.consultations.filter(isShareableEntry).map((consultation) => ({
        Id: consultation.id,
        Date: consultation.date,
        Type: consultationType[consultation.type],
        Clinician: clinician(consultation.recorderIndex),
        ...(consultation.narrative.length > 0 ? { Narrative: { Line: consultation.narrative } } : {}),
      })),
    ),
    ...list(
      'Value',
      record.observations.filter(isShareableEntry).map((observation) => ({
        Id: observation.id,
        Code: observation.concept.code,
        Term: observation.concept.display,
        Date: observation.date,
        ...(observation.value !== undefined ? { Result: String(observation.value) } : {}),
        ...(observation.components
          ? { Result: observation.components.map((component) => String(component.value)).join('/') }
          : {}),
        ...optional('Unit', observation.unit ?? observation.components?.[0]?.unit),
      })),
    ),
  };
}
