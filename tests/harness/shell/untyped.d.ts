// Shared modules without type packages in this repository; the shell only passes them through to SystemJS.
declare module 'jquery';
declare module 'lodash';
declare module 'prismjs';
