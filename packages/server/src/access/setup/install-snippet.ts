/**
 * The install snippet, in the shape of Pendo's (protocol/pendo-api.md §1.1): it queues `initialize`,
 * `identify`, `updateOptions`, `pageLoad` and `track` until the agent script arrives from this server.
 */
export function installSnippet(publicUrl: string, appKey: string): string {
  return `<script>
(function(apiKey){
  (function(p,e,n,d,o){var v,w,x,y,z;o=p[d]=p[d]||{};o._q=o._q||[];
  v=['initialize','identify','updateOptions','pageLoad','track'];for(w=0,x=v.length;w<x;++w)(function(m){
    o[m]=o[m]||function(){o._q[m===v[0]?'unshift':'push']([m].concat([].slice.call(arguments,0)));};})(v[w]);
    y=e.createElement(n);y.async=!0;y.src='${publicUrl}/agent/static/'+apiKey+'/pendo.js';
    z=e.getElementsByTagName(n)[0];z.parentNode.insertBefore(y,z);})(window,document,'script','pendo');

  pendo.initialize({
    visitor: { id: 'VISITOR-UNIQUE-ID' },   // your signed-in user's id; leave out for anonymous visitors
    account: { id: 'ACCOUNT-UNIQUE-ID' }    // the customer account the user belongs to
  });
})('${appKey}');
</script>`;
}
