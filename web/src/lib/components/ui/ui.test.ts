import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Input from './Input.svelte';
import { badgeClass, buttonClass } from './variants.js';

describe('Input', () => {
  it('labels the field and ties the hint to it', () => {
    render(Input, { id: 'email', label: 'Email', hint: 'We never share it.' });
    const field = screen.getByLabelText('Email');
    expect(field.getAttribute('aria-invalid')).toBeNull();
    expect(field.getAttribute('aria-describedby')).toBe('email-hint');
    expect(screen.getByText('We never share it.').id).toBe('email-hint');
  });

  it('marks the field invalid and shows the error instead of the hint', () => {
    render(Input, { id: 'password', label: 'Password', hint: 'At least 8 characters.', error: 'Too short.' });
    const field = screen.getByLabelText('Password');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe('password-error');
    expect(screen.queryByText('At least 8 characters.')).toBeNull();
  });
});

describe('variants', () => {
  it('gives each button variant and size its own classes', () => {
    expect(buttonClass('destructive')).toContain('bg-red-600');
    expect(buttonClass('default', 'sm')).toContain('h-8');
    expect(buttonClass('link', 'lg')).not.toContain('h-11'); // links size to their text
    expect(badgeClass('warning')).toContain('bg-amber-50');
  });
});
