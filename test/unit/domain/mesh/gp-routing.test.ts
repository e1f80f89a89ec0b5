import { resolveGpRouting } from '@gpsim/simulator/domain/mesh/gp-routing';
import { defaultPopulation } from '../../../support/population';

/** GPPROVIDER_<NHSno>_<DDMMYYYY>_<Surname> automatic GP routing and its EPL errors (GPCM integration_mesh.md). */
describe('MESH GP routing', () => {
  const population = defaultPopulation({ patientsPerPractice: 50 });
  const practice = population.practices[0];
  const patient = practice ? population.patientAt(practice, 0) : undefined;
  if (!practice || !patient) throw new Error('estate has no patient');
  const [year, month, day] = patient.birthDate.split('-');
  const dob = `${day}${month}${year}`;

  it('resolves a matching NHS number, birth date and surname to the registered practice (surname in any case)', () => {
    expect(
      resolveGpRouting(population, `GPPROVIDER_${patient.nhsNumber}_${dob}_${patient.name.family.toLowerCase()}`),
    ).toEqual({
      ok: true,
      ods: practice.ods,
      nhsNumber: patient.nhsNumber,
    });
  });

  it('answers EPL-152 for a malformed or checksum-failing NHS number', () => {
    expect(resolveGpRouting(population, `GPPROVIDER_12345_${dob}_X`)).toEqual({ ok: false, code: 'EPL-152' });
    expect(resolveGpRouting(population, `GPPROVIDER_1234567890_${dob}_X`)).toEqual({ ok: false, code: 'EPL-152' });
  });

  it('answers EPL-154 when the birth date does not match', () => {
    expect(resolveGpRouting(population, `GPPROVIDER_${patient.nhsNumber}_01011900_${patient.name.family}`)).toEqual({
      ok: false,
      code: 'EPL-154',
    });
  });
});
