import { extensionOfPath } from './mediaTypes';

test('extensionOfPath', () => {
  expect(['http://tmp/a.JPG', 'wxfile://tmp_x.mp4', 'a/b.c/noext', 'x.tar.gz', '.hidden', 'IMG.3GP'].map(extensionOfPath)).toEqual(['jpg', 'mp4', '', 'gz', '', '3gp']);
});
