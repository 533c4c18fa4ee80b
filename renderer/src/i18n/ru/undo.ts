/** The undo history's toasts (Ctrl+Z, Ctrl+Shift+Z; «Отменить» is common.undo): what they say comes from the core. */
export const undo = {
  redo: 'Вернуть',
};
