// The part of the WebAssembly JavaScript API this code uses: Node has all of it, but TypeScript declares it only in
// its DOM and web-worker libraries, which would bring in the rest of the browser's globals.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
