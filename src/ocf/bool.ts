// ocf_is_true: exactly the values resource-agents' ocf-shellfuncs accepts. Anything else is false.
const TRUE_VALUES = new Set(['yes', 'true', '1', 'YES', 'TRUE', 'True', 'ja', 'on', 'ON']);
// The values that are false without doubt; any other value is false too, but worth a warning.
const FALSE_VALUES = new Set(['no', 'false', '0', 'NO', 'FALSE', 'False', 'nein', 'off', 'OFF', '']);

export const isTrue = (value: string | undefined): boolean => value !== undefined && TRUE_VALUES.has(value);

// Whether a value is a recognised boolean spelling (true or false).
export const isBooleanSpelling = (value: string): boolean => TRUE_VALUES.has(value) || FALSE_VALUES.has(value);
