import { CONNECTION_COLORS, type ConnectionColor } from '../../../shared/contract';
import { COLOR_LABELS } from './connectionFormat';

interface ColorPickerProps {
  value: ConnectionColor;
  disabled: boolean;
  onChange: (color: ConnectionColor) => void;
}

/** The colour tag as radio buttons, each with its name beside the swatch (colour is never the only cue). */
export function ColorPicker({ value, disabled, onChange }: ColorPickerProps) {
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Colour tag</legend>
      <div className="color-picker">
        {CONNECTION_COLORS.map((color) => (
          <label key={color} className="check color-choice">
            <input type="radio" name="conn-color" value={color} checked={value === color} disabled={disabled} onChange={() => onChange(color)} />
            <span className={`color-swatch color-${color}`} aria-hidden="true" />
            {COLOR_LABELS[color]}
          </label>
        ))}
      </div>
      <p className="field-hint">Shown beside the connection’s name everywhere, e.g. red for production.</p>
    </fieldset>
  );
}
