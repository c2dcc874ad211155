// CloudFront viewer-request function on the SPA's behaviour: a path without a file extension is a route
// of the single-page app (/practice, /tutors/abc), so it is answered with /index.html; files pass through.
function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
