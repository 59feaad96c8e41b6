/** The folder of the built web app (`dist/`), with `index.html` and `assets/`. */
export declare const webAppRoot: string;
/** Whether `npm run build --workspace @cairn/web` has produced the app. */
export declare function webAppBuilt(): boolean;
