import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/fixtures/**', 'public/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Page and dataset text must never become markup (issue 7).
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Never set innerHTML: build nodes or use Preact.' },
        { property: 'outerHTML', message: 'Never set outerHTML.' },
        { property: 'insertAdjacentHTML', message: 'Never insert HTML strings.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML.' },
        { selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: 'No document.write.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No eval-like code.' },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
      ],
    },
  },
  {
    // Test and tool code may read innerHTML/outerHTML of fixtures to compare pages.
    files: ['tests/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
