// css-tree's own entry points for its parser, walker, generator and utilities: importing them
// instead of the package root keeps its lexer and property data (≈250 KB) out of the client bundle.
// @types/css-tree declares only the root; these re-export its types.
declare module 'css-tree/parser' {
  export { parse as default } from 'css-tree';
}
declare module 'css-tree/walker' {
  export { walk as default } from 'css-tree';
}
declare module 'css-tree/generator' {
  export { generate as default } from 'css-tree';
}
declare module 'css-tree/utils' {
  export { ident } from 'css-tree';
}
