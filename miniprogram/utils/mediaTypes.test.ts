import { MEDIA_TYPES as SERVER_MEDIA_TYPES } from '../../server/src/upload/mediaTypes';
import { extensionOfPath, MEDIA_TYPES } from './mediaTypes';

test('the Mini Program accepts exactly what the server and its policy accept', () => {
  expect(MEDIA_TYPES).toEqual(SERVER_MEDIA_TYPES);
});

test('extensionOfPath', () => {
  expect(['http://tmp/a.JPG', 'wxfile://tmp_x.mp4', 'a/b.c/noext', 'x.tar.gz', '.hidden', 'IMG.3GP'].map(extensionOfPath)).toEqual(['jpg', 'mp4', '', 'gz', '', '3gp']);
});
