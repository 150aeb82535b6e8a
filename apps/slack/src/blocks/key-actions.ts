// Action ids of the buttons on a registered key (My keys, reminders, rotation DMs). One file, so the builders that
// render a button and the listener that handles it cannot drift apart. The button's value is the apiKeyId.
export const ROTATE_ACTION_ID = 'rotate';
export const ROTATE_PRIMARY_ACTION_ID = 'rotate_primary';
export const REVOKE_ACTION_ID = 'revoke';
