// The masking vocabulary (methods and scenarios) with no runtime dependency, so the API schemas and the web
// app can import it without pulling in the engine's node:crypto code.
export const MASK_METHODS = ['keep', 'partial', 'pseudonym', 'token', 'generalise', 'suppress', 'shuffle', 'round', 'noise'] as const;
export type MaskMethod = (typeof MASK_METHODS)[number];

/** Where masked data goes: a screen, a development/test system, another institution, the public. */
export const MASK_SCENARIOS = ['display', 'test', 'sharing', 'open'] as const;
export type MaskScenario = (typeof MASK_SCENARIOS)[number];
