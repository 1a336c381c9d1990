; show: print r1 as 8 hex digits and a newline (CONSOLE is the includer's)
show:   push    r1
        push    r2
        push    r3
        mov     r3, 8
sh1:    mov     r2, r1
        shr     r2, 28
        cmp     r2, 10
        jb      sh2
        add     r2, 'a' - 10
        jmp     sh3
sh2:    add     r2, '0'
sh3:    out     CONSOLE, r2
        shl     r1, 4
        sub     r3, 1
        jnz     sh1
        mov     r2, '\n'
        out     CONSOLE, r2
        pop     r3
        pop     r2
        pop     r1
        ret
