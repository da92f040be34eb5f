import type { CSSProperties } from 'react';

/**
 * The widget's accent colour as CSS variables on its root, with a darker shade for hover and a
 * pale one for rings and tints, so one admin-chosen colour themes every part of the widget.
 */
export function accentStyle(colour: string): CSSProperties {
  return {
    '--tandem-accent': colour,
    '--tandem-accent-strong': `color-mix(in srgb, ${colour} 82%, black)`,
    '--tandem-accent-soft': `color-mix(in srgb, ${colour} 12%, white)`,
  } as CSSProperties;
}
