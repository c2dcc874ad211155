import { studentLabel, type Students } from '../api/tutor';

const child = 'child-0123456789abcdef01234567';
const students = { students: [
  { studentEmail: child, studentName: 'Minji' },
  { studentEmail: 'jisoo@example.com', studentName: 'Kim Jisoo' },
  { studentEmail: 'noname@example.com', studentName: '' },
] } as unknown as Students;

describe("a student's name on the tutor's screens", () => {
  it("is the students list's name: a child's first name, an adult's display name", () => {
    expect(studentLabel(child, students)).toBe('Minji');
    expect(studentLabel('jisoo@example.com', students)).toBe('Kim Jisoo');
  });

  it("falls back to an adult's email but never to a child's handle", () => {
    expect(studentLabel('noname@example.com', students)).toBe('noname@example.com');
    expect(studentLabel(child, undefined)).toBeUndefined();
    expect(studentLabel('child-ffffffffffffffffffffffff', students)).toBeUndefined();
  });
});
