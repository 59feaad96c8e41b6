const sensitiveParams = /^(auth-token|token|key|api[-_]?key|integration[-_]?key|jwt|password)$/i;
const secretKeyShape = /\bc(?:ik|fk|ts|ws|is)_[0-9A-Za-z]+/g;

/**
 * The request URL as logs may show it: values of credential-like query parameters and anything shaped like
 * a Cairn secret key or webhook signing secret are replaced, so a key pasted into a URL never reaches a log line.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  const pathPart = (queryStart === -1 ? url : url.slice(0, queryStart)).replace(secretKeyShape, "[redacted]");
  if (queryStart === -1) return pathPart;
  const query = url
    .slice(queryStart + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {}
      if (eq !== -1 && sensitiveParams.test(decoded)) return `${name}=[redacted]`;
      return pair.replace(secretKeyShape, "[redacted]");
    })
    .join("&");
  return `${pathPart}?${query}`;
}
