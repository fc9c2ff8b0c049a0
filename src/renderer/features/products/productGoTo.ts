import { checked, idMode, positionMode, type GoToMode } from '../../ui/goToModes';

/**
 * Where "Go to" can land in the products list: a product, a name, or a position (a row number or
 * a share of the way through, one field as on the Users screen).
 */
export const productGoToModes: readonly GoToMode[] = [
  idMode({ label: 'Product ID', noun: 'product id' }),
  {
    id: 'name',
    label: 'Name starting with',
    placeholder: 'e.g. Lamp',
    parse: (text) => (text.trim() ? checked({ kind: 'value', value: text }) : { ok: false, message: 'Type the start of a name to go to.' }),
  },
  positionMode,
];
