/** An assembled guest: loadable segments, entry point, symbols, metadata and a source map. */
export interface Image {
  readonly segments: readonly { readonly addr: number; readonly bytes: Uint8Array }[];
  readonly entry: number;
  readonly symbols: Readonly<Record<string, number>>;
  readonly meta: Readonly<Record<string, string | number>>;
  readonly lines: Readonly<Record<number, { readonly file: string; readonly line: number }>>;
}
