/** The one synthetic identity the registry-mock tests serve (an NG_NIN record with a synthetic photo). */
import { syntheticJpeg, type MockPerson } from '../../mocks/index.ts';

export const NIN_PERSON: MockPerson = {
  id_type: 'NG_NIN',
  id_number: '70123456789',
  first_name: 'Ada',
  last_name: 'Lovelace',
  date_of_birth: '1985-07-14',
  gender: 'F',
  photo: syntheticJpeg(),
};
