export default defineBackground(() => {
  // wiring only; see lib/
});
